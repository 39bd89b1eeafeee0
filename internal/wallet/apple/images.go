package apple

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strconv"
)

// images returns the pass's images: the icon Wallet requires (in lock-
// screen notifications and mail), drawn from the logo or, without one, a
// plain badge in the card's colours; and the logo beside the title.
func images(logo []byte, background, foreground string) (map[string][]byte, error) {
	bg, fg := parseHex(background), parseHex(foreground)
	var src image.Image
	if len(logo) > 0 {
		img, err := png.Decode(bytes.NewReader(logo))
		if err != nil {
			return nil, err
		}
		src = img
	}
	out := map[string][]byte{}
	for name, side := range map[string]int{"icon.png": 29, "icon@2x.png": 58, "icon@3x.png": 87} {
		b, err := encode(badge(src, side, bg, fg))
		if err != nil {
			return nil, err
		}
		out[name] = b
	}
	if src != nil {
		out["logo.png"], out["logo@2x.png"] = logo, logo
	}
	return out, nil
}

// badge draws a side×side square: the logo scaled into it on the card's
// background, or the background with a foreground dot.
func badge(src image.Image, side int, bg, fg color.RGBA) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			img.SetRGBA(x, y, bg)
			if src == nil {
				if dx, dy := x-side/2, y-side/2; dx*dx+dy*dy < side*side/9 {
					img.SetRGBA(x, y, fg)
				}
			}
		}
	}
	if src != nil {
		scaleInto(img, src)
	}
	return img
}

// scaleInto draws src into dst, nearest pixel, keeping its proportions
// and centring it.
func scaleInto(dst *image.RGBA, src image.Image) {
	sb, side := src.Bounds(), dst.Bounds().Dx()
	scale := max(float64(sb.Dx()), float64(sb.Dy())) / float64(side)
	w, h := int(float64(sb.Dx())/scale), int(float64(sb.Dy())/scale)
	ox, oy := (side-w)/2, (side-h)/2
	for y := range h {
		for x := range w {
			c := src.At(sb.Min.X+int(float64(x)*scale), sb.Min.Y+int(float64(y)*scale))
			if _, _, _, a := c.RGBA(); a > 0x7fff {
				dst.Set(ox+x, oy+y, c)
			}
		}
	}
}

func encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(&b, img)
	return b.Bytes(), err
}

func parseHex(hex string) color.RGBA {
	if len(hex) != 7 {
		return color.RGBA{A: 255}
	}
	n, _ := strconv.ParseUint(hex[1:], 16, 32)
	return color.RGBA{R: uint8(n >> 16), G: uint8(n >> 8), B: uint8(n), A: 255}
}

// Badge draws a side×side PNG of a logo (PNG) on the background, or the
// plain badge without one: the program logo Google Wallet shows.
func Badge(logo []byte, background, foreground string, side int) ([]byte, error) {
	var src image.Image
	if len(logo) > 0 {
		img, err := png.Decode(bytes.NewReader(logo))
		if err != nil {
			return nil, err
		}
		src = img
	}
	return encode(badge(src, side, parseHex(background), parseHex(foreground)))
}
