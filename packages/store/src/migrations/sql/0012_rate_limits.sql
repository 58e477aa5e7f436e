-- Fixed-window request counters of the API gateway's rate limiter, shared by every process on this database.
-- One row per client key (API key / OAuth client / address): the start of its current window and the count in it.
CREATE TABLE tl_rate_limits (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  request_count integer NOT NULL
);
CREATE INDEX tl_rate_limits_window ON tl_rate_limits (window_start);
