-- API keys of the distributor's own staff (operations, buyers, finance) speak for no partner.
ALTER TABLE tl_o2c_api_keys ALTER COLUMN partner_id DROP NOT NULL;
ALTER TABLE tl_o2c_api_keys ADD COLUMN IF NOT EXISTS staff_name text;
ALTER TABLE tl_o2c_api_keys ADD CONSTRAINT tl_o2c_api_keys_owner CHECK ((partner_id IS NULL) <> (staff_name IS NULL));
