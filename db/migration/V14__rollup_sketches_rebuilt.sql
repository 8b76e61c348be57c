-- The rollups' latency histograms are now HdrHistogram's encoding and the distinct counts Apache DataSketches HLL
-- images (admin/report/Histogram and DistinctSketch); the bytes stored before cannot be read. Rather than convert
-- them, the rollups are dropped and every finished usage row is marked for the roll-up job, which folds them all in
-- again on its next runs. Until it has caught up, the report reads those rows raw (always current, only slower).
-- Portable SQL: H2 2.x and PostgreSQL 15+.
DELETE FROM usage_rollup;
UPDATE answer_usage SET rolled_up = FALSE WHERE rolled_up = TRUE;
