package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/card"
)

// testImage encodes a w×h image as PNG or JPEG.
func testImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCardDesign(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, tieredStamps)
		path := "/v1/programs/" + str(f.program["id"]) + "/card-design"
		var d card.Design
		e.do("GET", path, e.keyA, nil).must(200, &d)
		if d.Title != "Dealer Club" || len(d.Fields) != len(card.DesignFields) || d.HasLogo {
			t.Fatalf("default design: %+v", d)
		}
		good := obj{"title": "Brick Club", "background": "#102030", "foreground": "#ffffff", "label": "#aabbcc", "fields": []string{"stamps", "tier"},
			"logo": base64.StdEncoding.EncodeToString(testImage(t, "jpeg", 64, 32))}
		e.do("PUT", path, e.keyA, good).must(200, &d)
		if !d.HasLogo || d.Title != "Brick Club" || len(d.Fields) != 2 {
			t.Fatalf("set design: %+v", d)
		}
		bad := []obj{
			{"background": "red"},
			{"fields": []string{"stamps", "stamps"}},
			{"fields": []string{"weather"}},
			{"title": ""},
			{"logo": base64.StdEncoding.EncodeToString([]byte("GIF89a not really an image"))},
			{"logo": base64.StdEncoding.EncodeToString(testImage(t, "png", 1500, 10))},
			{"logo": "%%%"},
		}
		for _, change := range bad {
			body := obj{}
			for k, v := range good {
				body[k] = v
			}
			for k, v := range change {
				body[k] = v
			}
			e.do("PUT", path, e.keyA, body).must(422, nil)
		}
		e.do("GET", path, e.keyA, nil).must(200, &d)
		if d.Title != "Brick Club" || d.Background != "#102030" || !d.HasLogo {
			t.Fatalf("a refused change wrote something: %+v", d)
		}
		good["remove_logo"], good["logo"] = true, ""
		e.do("PUT", path, e.keyA, good).must(200, &d)
		if d.HasLogo {
			t.Fatalf("logo not removed: %+v", d)
		}
		e.do("PUT", path, e.keyB, good).must(404, nil)
	})
}

func TestCardDesignPreview(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, tieredStamps)
		path := "/v1/programs/" + str(f.program["id"]) + "/card-design"
		e.do("PUT", path, e.keyA, obj{"title": "Brick & <Beam>", "background": "#102030", "foreground": "#ffffff", "label": "#aabbcc",
			"fields": []string{"balance", "tier", "discount"}, "logo": base64.StdEncoding.EncodeToString(testImage(t, "png", 40, 20))}).must(200, nil)
		var pv struct {
			Fields []struct {
				Key, Slot, Label, Value string
				ChangeMessage           string `json:"change_message"`
			}
			SVG string
		}
		e.do("GET", path+"/preview?locale=ru", e.keyA, nil).must(200, &pv)
		got := map[string]string{}
		for _, f := range pv.Fields {
			got[f.Key] = f.Slot + "|" + f.Label + "|" + f.Value + "|" + f.ChangeMessage
		}
		if got["balance"] != "primary|Баланс|1,250|+120 баллов, теперь %@" || got["tier"] != "header|Уровень|Silver|Достигнут уровень %@" ||
			!strings.HasPrefix(got["discount"], "secondary|Скидка|5%") {
			t.Fatalf("preview fields: %v", got)
		}
		if !strings.Contains(pv.SVG, "Brick &amp; &lt;Beam&gt;") || strings.Contains(pv.SVG, "<Beam>") || !strings.Contains(pv.SVG, "data:image/png;base64,") {
			t.Fatalf("svg: %s", pv.SVG)
		}
		e.do("GET", path+"/preview?locale=xx", e.keyA, nil).must(422, nil)
	})
}
