package apple

import (
	"strconv"

	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// passJSON is pass.json of a store card.
type passJSON struct {
	FormatVersion       int       `json:"formatVersion"`
	PassTypeIdentifier  string    `json:"passTypeIdentifier"`
	SerialNumber        string    `json:"serialNumber"`
	TeamIdentifier      string    `json:"teamIdentifier"`
	OrganizationName    string    `json:"organizationName"`
	Description         string    `json:"description"`
	LogoText            string    `json:"logoText,omitempty"`
	ForegroundColor     string    `json:"foregroundColor"`
	BackgroundColor     string    `json:"backgroundColor"`
	LabelColor          string    `json:"labelColor"`
	WebServiceURL       string    `json:"webServiceURL,omitempty"`
	AuthenticationToken string    `json:"authenticationToken,omitempty"`
	SharingProhibited   bool      `json:"sharingProhibited"`
	Barcodes            []barcode `json:"barcodes"`
	StoreCard           structure `json:"storeCard"`
}

type barcode struct {
	Format          string `json:"format"`
	Message         string `json:"message"`
	MessageEncoding string `json:"messageEncoding"`
	AltText         string `json:"altText,omitempty"`
}

type structure struct {
	HeaderFields    []field `json:"headerFields,omitempty"`
	PrimaryFields   []field `json:"primaryFields,omitempty"`
	SecondaryFields []field `json:"secondaryFields,omitempty"`
	AuxiliaryFields []field `json:"auxiliaryFields,omitempty"`
	BackFields      []field `json:"backFields,omitempty"`
}

type field struct {
	Key           string `json:"key"`
	Label         string `json:"label,omitempty"`
	Value         string `json:"value"`
	ChangeMessage string `json:"changeMessage,omitempty"`
}

// Pass is what one pass is made of.
type Pass struct {
	Serial        string
	AuthToken     string // this copy's token for the web service
	WebServiceURL string // "" leaves the pass without updates
	View          passview.View
	Logo          []byte // PNG; nil draws a plain one
}

// defaultLocale's text is what pass.json holds: Wallet looks each text up
// in the device language's pass.strings and shows it as is when none
// matches.
const defaultLocale = "en"

// passJSON builds pass.json and the strings every locale translates.
func (s *Signer) passJSON(p Pass) (passJSON, *catalog) {
	v := p.View
	cat := newCatalog()
	pj := passJSON{FormatVersion: 1, PassTypeIdentifier: s.PassTypeID, SerialNumber: p.Serial, TeamIdentifier: s.TeamID,
		OrganizationName: orDefault(s.Organization, v.Title), Description: orDefault(v.Description, v.Title), LogoText: v.Title,
		ForegroundColor: rgb(v.Foreground), BackgroundColor: rgb(v.Background), LabelColor: rgb(v.Label),
		WebServiceURL: p.WebServiceURL, AuthenticationToken: p.AuthToken, SharingProhibited: true,
		Barcodes: []barcode{{Format: "PKBarcodeFormatQR", Message: v.Number, MessageEncoding: "iso-8859-1", AltText: v.Number}}}
	if p.WebServiceURL == "" {
		pj.AuthenticationToken = ""
	}
	for _, f := range v.Fields {
		af := field{Key: f.Key, Label: cat.add(f.Label), Value: cat.add(f.Value), ChangeMessage: cat.add(f.Change)}
		st := &pj.StoreCard
		switch f.Slot {
		case passview.Header:
			st.HeaderFields = append(st.HeaderFields, af)
		case passview.Primary:
			st.PrimaryFields = append(st.PrimaryFields, af)
		case passview.Secondary:
			st.SecondaryFields = append(st.SecondaryFields, af)
		case passview.Auxiliary:
			st.AuxiliaryFields = append(st.AuxiliaryFields, af)
		default:
			af.ChangeMessage = "" // the back changes silently
			st.BackFields = append(st.BackFields, af)
		}
	}
	return pj, cat
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rgb turns #rrggbb into Wallet's rgb(r, g, b).
func rgb(hex string) string {
	if len(hex) != 7 {
		return "rgb(0, 0, 0)"
	}
	c := func(i int) string {
		n, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		return strconv.FormatUint(n, 10)
	}
	return "rgb(" + c(1) + ", " + c(3) + ", " + c(5) + ")"
}
