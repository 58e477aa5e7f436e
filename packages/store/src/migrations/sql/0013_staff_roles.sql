-- Staff API keys carry a console role (buyer, customer_service, finance, integration_admin); keys can expire, which
-- is how a rotated key keeps working for its overlap and then stops.
ALTER TABLE tl_o2c_api_keys ADD COLUMN IF NOT EXISTS role text;
ALTER TABLE tl_o2c_api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
ALTER TABLE tl_o2c_api_keys ADD COLUMN IF NOT EXISTS rotated_to text;
ALTER TABLE tl_o2c_api_keys ADD CONSTRAINT tl_o2c_api_keys_role CHECK (role IS NULL OR (staff_name IS NOT NULL AND role IN ('buyer', 'customer_service', 'finance', 'integration_admin')));
