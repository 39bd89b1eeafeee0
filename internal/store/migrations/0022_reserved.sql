-- Placeholder so that the numbering has no gap on this branch: 0022 is
-- another branch's. Drop this file when merging.
SELECT 1;
