-- A webhook may take several events per request: up to batch_size of
-- its deliveries that are due together are POSTed as one signed body
-- (1: one event per request, as before).
ALTER TABLE webhooks ADD COLUMN batch_size BIGINT NOT NULL DEFAULT 1;
