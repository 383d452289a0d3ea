-- What a loaded run did to the stream table, so that a user's history held in memory can take in
-- a new load by reading only its streams (InsightsStore) instead of all of them again:
--   streams_from, streams_to  the run's streams all ended in [from, to]; NULL when it added none
--   streams_changed           whether it also changed or removed streams other runs had added
--                             (an account-data row upgraded, a polled play replaced); NULL for runs
--                             from before this column, whose effect is unknown
ALTER TABLE import_run ADD streams_from ${timestamp};
ALTER TABLE import_run ADD streams_to ${timestamp};
ALTER TABLE import_run ADD streams_changed ${bool};
