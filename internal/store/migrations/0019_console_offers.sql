-- Offers in the console.

-- A catalog item's picture, base64 in TEXT (one portable column type, as
-- claim documents), kept apart from the items so that lists do not read
-- it. One picture per item; a new one replaces it.
CREATE TABLE reward_images (
	tenant_id TEXT NOT NULL,
	item_id TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data TEXT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, item_id),
	FOREIGN KEY (tenant_id, item_id) REFERENCES reward_items (tenant_id, id)
);
