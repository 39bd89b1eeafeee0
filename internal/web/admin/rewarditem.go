package admin

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/web"
)

var rewardItemPage = web.Page(files, "rewarditem.html")

// rewardItemView is one item: its facts, the edit form and the picture.
type rewardItemView struct {
	It        reward.Item
	Form      *web.Form
	ImageErr  string
	HasImage  bool
	ImageAt   int64 // the picture's version, so that a new one is not cached
	Statuses  []web.Option
	TierList  string
	RoleList  string
	StockText string
}

func (c *Console) rewardItem(w http.ResponseWriter, r *http.Request) {
	it, err := c.svc.Rewards.Get(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showRewardItem(w, r, it, editForm(it), "", http.StatusOK)
}

// editForm is an item's edit form, carrying the version it shows.
func editForm(it reward.Item) *web.Form {
	f := web.NewForm()
	f.Set("price", strconv.FormatInt(it.Price, 10))
	f.Set("stock", "")
	if it.Stock != nil {
		f.Set("stock", strconv.FormatInt(*it.Stock, 10))
	}
	f.Set("status", it.Status)
	f.Set("updated_at", strconv.FormatInt(it.UpdatedAt.UnixMilli(), 10))
	return f
}

func (c *Console) showRewardItem(w http.ResponseWriter, r *http.Request, it reward.Item, f *web.Form, imgErr string, status int) {
	l := c.kit.Locale(r)
	d := rewardItemView{It: it, Form: f, ImageErr: imgErr, TierList: priceList(it.TierPrices), RoleList: priceList(it.RolePrices)}
	if img, err := c.svc.Rewards.Image(r.Context(), web.Principal(r), it.ID); err == nil {
		d.HasImage, d.ImageAt = true, img.UpdatedAt.UnixMilli()
	}
	for _, s := range []string{reward.ItemActive, reward.ItemArchived} {
		d.Statuses = append(d.Statuses, web.Option{Value: s, Label: l.T("rewards.status." + s)})
	}
	c.kit.Render(w, r, status, rewardItemPage, c.view(r, "rewards", "rewards.item_title", d))
}

// editReward changes price, stock and status, refused when the item
// changed since the form was shown.
func (c *Console) editReward(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, l, id := web.Principal(r), c.kit.Locale(r), r.PathValue("id")
	price, st, status := whole(f, l, "price"), stock(f, l), f.Get("status")
	ms, err := strconv.ParseInt(f.Get("updated_at"), 10, 64)
	if err != nil {
		f.Error = l.T("form.stale")
	}
	read := time.UnixMilli(ms).UTC()
	patch := reward.Patch{Price: &price, Stock: st, UnlimitedStock: st == nil, Status: &status, UnchangedSince: &read}
	if f.Ok() {
		_, err = c.svc.Rewards.Update(r.Context(), p, id, patch)
		if err == nil {
			http.Redirect(w, r, Root+"/rewards/"+id+"?done=saved", http.StatusSeeOther)
			return
		}
	}
	it, gerr := c.svc.Rewards.Get(r.Context(), p, id)
	switch {
	case gerr != nil:
		c.fail(w, r, gerr)
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case errs.Is(err, errs.Conflict):
		f.Error = l.T("form.changed_meanwhile")
		c.showRewardItem(w, r, it, f, "", http.StatusConflict)
	case err != nil:
		c.showRewardItem(w, r, it, f, "", f.Fail(err, nil))
	default:
		c.showRewardItem(w, r, it, f, "", http.StatusUnprocessableEntity)
	}
}

// uploadRewardImage takes the picture of an item (multipart, one file);
// the service checks its type and size.
func (c *Console) uploadRewardImage(w http.ResponseWriter, r *http.Request) {
	p, id := web.Principal(r), r.PathValue("id")
	data, err := imagePart(r)
	if err == nil {
		_, err = c.svc.Rewards.SetImage(r.Context(), p, id, data)
	}
	if err == nil {
		http.Redirect(w, r, Root+"/rewards/"+id+"?done=saved", http.StatusSeeOther)
		return
	}
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid {
		c.fail(w, r, err)
		return
	}
	it, gerr := c.svc.Rewards.Get(r.Context(), p, id)
	if gerr != nil {
		c.fail(w, r, gerr)
		return
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		msg = e.Fields[0].Message
	}
	c.showRewardItem(w, r, it, editForm(it), msg, web.StatusOf(err))
}

// imagePart reads the uploaded picture, at most one byte over the limit
// (so that the service says it is too large).
func imagePart(r *http.Request) ([]byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errs.InvalidField("image", "required", "choose a picture to upload")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, errs.InvalidField("image", "required", "choose a picture to upload")
		}
		if part.FormName() == "image" {
			return io.ReadAll(io.LimitReader(part, reward.MaxImage+1))
		}
	}
}

// rewardImage serves an item's picture as stored (its type was sniffed
// when it was uploaded; the headers forbid sniffing again).
func (c *Console) rewardImage(w http.ResponseWriter, r *http.Request) {
	img, err := c.svc.Rewards.Image(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		http.Error(w, "no picture", web.StatusOf(err))
		return
	}
	w.Header().Set("Content-Type", img.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(img.Data)
}
