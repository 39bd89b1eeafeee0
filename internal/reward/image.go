package reward

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// MaxImage bounds a catalog item's picture.
const MaxImage = 1 << 20

// ImageTypes are the pictures an item may have, by their content as
// sniffed (never the name or the type the uploader claims). SVG is not
// one: it may carry script.
var ImageTypes = []string{"image/png", "image/jpeg", "image/webp", "image/gif"}

// Image is a catalog item's picture.
type Image struct {
	ItemID      string
	ContentType string
	Data        []byte
	UpdatedAt   time.Time
}

// SetImage gives an item its picture (replacing the one it had): a PNG,
// JPEG, WebP or GIF of at most MaxImage bytes.
func (s *Service) SetImage(ctx context.Context, p access.Principal, itemID string, data []byte) (Image, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Image{}, err
	}
	img := Image{ItemID: itemID, ContentType: http.DetectContentType(data), Data: data, UpdatedAt: s.Clock.Now()}
	switch {
	case len(data) == 0:
		return Image{}, errs.InvalidField("image", "required", "choose a picture to upload")
	case len(data) > MaxImage:
		return Image{}, errs.InvalidField("image", "too_large", "the picture has %d KiB; at most %d KiB", len(data)>>10, MaxImage>>10)
	case !slices.Contains(ImageTypes, img.ContentType):
		return Image{}, errs.InvalidField("image", "unsupported_type", "the file is %s, not a picture: upload a PNG, JPEG, WebP or GIF", img.ContentType)
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Image, error) {
		if err := tx.LockRewardItem(ctx, p.TenantID, itemID); err != nil {
			return img, err
		}
		if _, err := tx.GetRewardItem(ctx, p.TenantID, itemID); err != nil {
			return img, err
		}
		if err := tx.PutRewardImage(ctx, p.TenantID, img); err != nil {
			return img, err
		}
		return img, audit.Record(ctx, tx, p, img.UpdatedAt, "reward.image_set", "reward", itemID, nil,
			map[string]any{"content_type": img.ContentType, "bytes": len(data)})
	})
}

// Image reads an item's picture (NotFound when it has none).
func (s *Service) Image(ctx context.Context, p access.Principal, itemID string) (Image, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Image{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Image, error) { return tx.GetRewardImage(ctx, p.TenantID, itemID) })
}
