-- Targets: one honest name for an approved observation, and the approval inbox.
-- Approval in the workflow used to set the status 'locked' while imports set
-- 'approved': the same thing (the figure counts in reviews and can no longer be
-- edited) under two names, and the UI showed "Đã khóa" where an officer had pressed
-- "Duyệt". There is no separate lock step, so one name remains: approved.
UPDATE observation SET status = 'approved' WHERE status = 'locked';

-- The approval inbox lists what waits (submitted) by submission time, oldest first.
CREATE INDEX observation_waiting ON observation(status, submitted_at);
