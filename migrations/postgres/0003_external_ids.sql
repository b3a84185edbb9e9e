-- Where an imported incident came from (the dataset's uuid), so importing
-- the same file again updates the incident instead of duplicating it.
ALTER TABLE incidents ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX incidents_external_id ON incidents (external_id) WHERE external_id IS NOT NULL;
