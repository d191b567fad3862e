-- The cadence jobs' run ledger and outbox (0001), made crash-safe and shareable between
-- replicas: a heartbeat tells a live run from one whose process died; outbox rows are leased
-- while they are being sent, ordered within their run, expire when they are no longer worth
-- sending, and carry chart files.

-- ---------------------------------------------------------------- the run ledger

ALTER TABLE job_runs
  -- What started the run.
  ADD COLUMN trigger text NOT NULL DEFAULT 'schedule'
    CHECK (trigger IN ('schedule', 'catch-up', 'manual', 'api', 'import', 'resume')),
  -- Bumped by the running process: a 'running' row with an old heartbeat belongs to a process
  -- that died, and the next claim resumes it.
  ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now(),
  -- Its messages are in the outbox: a resumed run only sends what is left.
  ADD COLUMN composed boolean NOT NULL DEFAULT false,
  ADD COLUMN error text,
  ADD CONSTRAINT job_runs_finished CHECK ((status = 'running') = (finished_at IS NULL));

-- ---------------------------------------------------------------- the outbox

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped'));

ALTER TABLE outbox
  -- Order of sending within the run (a chart upload goes after the message it illustrates).
  ADD COLUMN position integer NOT NULL DEFAULT 0,
  -- One line for people reading the outbox (`sop jobs outbox`).
  ADD COLUMN summary text NOT NULL DEFAULT '',
  -- Who is sending it, until when: another process may take it over after that.
  ADD COLUMN sent_by text,
  ADD COLUMN lease_until timestamptz,
  -- A failed attempt that may succeed later waits until then.
  ADD COLUMN next_attempt_at timestamptz,
  -- Not sent by then (Slack down or not configured): skipped, since it would be stale.
  ADD COLUMN expires_at timestamptz,
  -- The channel id Slack answered with (the channel column may hold a name such as #sop).
  ADD COLUMN channel_id text,
  ADD CONSTRAINT outbox_sending_leased CHECK (status <> 'sending' OR lease_until IS NOT NULL),
  ADD CONSTRAINT outbox_sent_at CHECK ((status = 'sent') = (sent_at IS NOT NULL));

DROP INDEX outbox_pending;
CREATE INDEX outbox_unsent ON outbox (id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_run ON outbox (job, period, target, position, id);
CREATE INDEX outbox_created ON outbox (created_at DESC, id DESC);

-- The chart PNGs of a 'file' outbox row, stored so that a resumed run sends exactly what was
-- composed.
CREATE TABLE outbox_files (
  outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  position integer NOT NULL,
  filename text NOT NULL CHECK (filename ~ '^[A-Za-z0-9._-]{1,120}$'),
  title text NOT NULL,
  alt_text text NOT NULL DEFAULT '',
  content bytea NOT NULL CHECK (length(content) > 0),
  PRIMARY KEY (outbox_id, position)
);
