-- Catalog schema v6: intentionally empty. Number 6 is reserved for a change being made beside this one
-- (migrations must be numbered 1..n without gaps); when that change lands, its file replaces this one.
SELECT 1;
