package reward_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// pngHeader is enough of a PNG for content sniffing.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

func item(t *testing.T, f *reachtest.Fixture) reward.Item {
	t.Helper()
	pt, err := f.App.Ledger.CreatePointType(t.Context(), f.Sys, f.Program.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points",
		Currency: "GBP", ValueNum: 1, ValueDen: 100, Expiry: "never"})
	if err != nil {
		t.Fatal(err)
	}
	it, err := f.App.Rewards.Create(t.Context(), f.Sys, reward.ItemInput{Kind: reward.Information, Name: "Site visit", PointTypeID: pt.ID, Price: 500})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// A picture is a PNG, JPEG, WebP or GIF by its content, of at most 1 MiB;
// anything else is refused with nothing stored.
func TestItemImage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		it, ctx := item(t, f), t.Context()
		for name, data := range map[string][]byte{"empty": nil, "svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
			"html": []byte("<html><script>alert(1)</script></html>"), "too large": append(append([]byte{}, pngHeader...), make([]byte, reward.MaxImage)...)} {
			_, err := f.App.Rewards.SetImage(ctx, f.Sys, it.ID, data)
			if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "image" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.App.Rewards.Image(ctx, f.Sys, it.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("a refused picture was stored: %v", err)
		}
		if _, err := f.App.Rewards.SetImage(ctx, f.Sys, "no-such-item", pngHeader); !errs.Is(err, errs.NotFound) {
			t.Errorf("a picture of no item: %v", err)
		}
		if _, err := f.App.Rewards.SetImage(ctx, f.Tom, it.ID, pngHeader); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an account manager sets a picture: %v", err)
		}
		if _, err := f.App.Rewards.SetImage(ctx, f.Sys, it.ID, pngHeader); err != nil {
			t.Fatal(err)
		}
		img, err := f.App.Rewards.Image(ctx, f.Sys, it.ID)
		if err != nil || img.ContentType != "image/png" || !bytes.Equal(img.Data, pngHeader) {
			t.Errorf("stored picture %q %v", img.ContentType, err)
		}
	})
}

// An edit of an item changed meanwhile is refused.
func TestItemUpdateUnchangedSince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		it, ctx := item(t, f), t.Context()
		read := it.UpdatedAt
		price := int64(700)
		f.Clock.Advance(time.Second)
		if _, err := f.App.Rewards.Update(ctx, f.Sys, it.ID, reward.Patch{Price: &price, UnchangedSince: &read}); err != nil {
			t.Fatal(err)
		}
		price = 900
		if _, err := f.App.Rewards.Update(ctx, f.Sys, it.ID, reward.Patch{Price: &price, UnchangedSince: &read}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a stale edit: %v", err)
		}
		if got, _ := f.App.Rewards.Get(ctx, f.Sys, it.ID); got.Price != 700 {
			t.Errorf("price %d after a refused stale edit", got.Price)
		}
	})
}
