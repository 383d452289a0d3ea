-- Every firing of a scheduled job (the quartz routes write it): which job, the tick it was
-- scheduled for, when and on which replica it fired. With the clustered job store a tick appears
-- once, however many replicas run; operators read here when a job last ran and where.
CREATE TABLE scheduled_run (
    scheduled_run_id BIGINT ${identity} PRIMARY KEY,
    job_name         ${text}(100) NOT NULL,
    scheduled_at     ${timestamp} NOT NULL,
    fired_at         ${timestamp} NOT NULL,
    instance_id      ${text}(200) NOT NULL
);
CREATE INDEX ix_scheduled_run_job ON scheduled_run (job_name, scheduled_at);
