-- Lookups by subject (the public query window, credit reports) and checks
-- by period (supervision statistics).
CREATE INDEX entries_subject ON entries (subject_key);
CREATE INDEX entries_legal_rep ON entries (legal_rep_key) WHERE legal_rep_key != '';
CREATE INDEX checks_at ON checks (at);
