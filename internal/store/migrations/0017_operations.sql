-- Operations: the schedule of background jobs shared by replicas.

-- One row per tenant and job. A replica runs a job only while it holds the
-- row's lease (holder, lease_until_ms), taken by a conditional UPDATE once
-- the job is due (next_run_ms), so exactly one replica runs it at a time
-- and each run is one replica's. The last run's outcome stays for the API
-- and the console.
CREATE TABLE job_runs (
    tenant_id TEXT NOT NULL,
    job TEXT NOT NULL,
    holder TEXT NOT NULL DEFAULT '',
    lease_until_ms BIGINT NOT NULL DEFAULT 0,
    next_run_ms BIGINT NOT NULL DEFAULT 0,
    started_ms BIGINT NOT NULL DEFAULT 0,
    finished_ms BIGINT NOT NULL DEFAULT 0,
    duration_ms BIGINT NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    rows_done BIGINT NOT NULL DEFAULT 0,
    ran_by TEXT NOT NULL DEFAULT '',
    runs BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, job)
);
