-- Which start of Encore (InstanceId: host/pid/start time) runs each import, so that a run whose
-- process is gone (kill -9, a crash) can be marked 'interrupted' instead of staying 'running'
-- for ever (InterruptedRuns). Older rows have none.
ALTER TABLE import_run ADD instance_id ${text}(200);
CREATE INDEX ix_import_run_status ON import_run (status);
