-- Applicants' registration carries the same self-hosted proof of work as appointment filing.
-- Without JavaScript an account is still created (an accessible way through, never a refusal);
-- the account remembers it, and its appointment requests are then held for staff review.
-- Null for staff and for accounts created before this column.
alter table users add column registered_with_pow boolean;
