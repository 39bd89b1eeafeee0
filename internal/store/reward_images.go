package store

import (
	"context"
	"encoding/base64"

	"github.com/loyal-b2b/loyal/internal/platform/clock"

	"github.com/loyal-b2b/loyal/internal/reward"
)

// PutRewardImage stores a catalog item's picture, replacing the one it had.
func (t *Tx) PutRewardImage(ctx context.Context, tenantID string, img reward.Image) error {
	_, err := t.exec(ctx, `INSERT INTO reward_images (tenant_id, item_id, content_type, data, updated_ms) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, item_id) DO UPDATE SET content_type = $3, data = $4, updated_ms = $5`,
		tenantID, img.ItemID, img.ContentType, base64.StdEncoding.EncodeToString(img.Data), ms(img.UpdatedAt))
	return err
}

// GetRewardImage reads a catalog item's picture.
func (t *Tx) GetRewardImage(ctx context.Context, tenantID, itemID string) (reward.Image, error) {
	img := reward.Image{ItemID: itemID}
	var data string
	var up int64
	err := t.queryRow(ctx, `SELECT content_type, data, updated_ms FROM reward_images WHERE tenant_id = $1 AND item_id = $2`, tenantID, itemID).
		Scan(&img.ContentType, &data, &up)
	if err != nil {
		return img, notFound(err, "reward image", itemID)
	}
	img.UpdatedAt = clock.FromMillis(up)
	img.Data, err = base64.StdEncoding.DecodeString(data)
	return img, err
}
