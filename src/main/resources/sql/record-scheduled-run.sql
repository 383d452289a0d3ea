-- One firing of a scheduled job (headers set by the schedule route from camel-quartz's headers).
INSERT INTO scheduled_run (job_name, scheduled_at, fired_at, instance_id)
VALUES (:#EncoreJob, :#EncoreScheduledAt, :#EncoreFiredAt, :#EncoreInstance)
