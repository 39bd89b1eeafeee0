package google

import (
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// LocalizedString is the Wallet API's text in several languages.
type LocalizedString struct {
	DefaultValue     TranslatedString   `json:"defaultValue"`
	TranslatedValues []TranslatedString `json:"translatedValues,omitempty"`
}

// TranslatedString is a text in one language.
type TranslatedString struct {
	Language string `json:"language"`
	Value    string `json:"value"`
}

// LoyaltyClass is a program's class: what all its cards share.
type LoyaltyClass struct {
	ID                   string           `json:"id"`
	IssuerName           string           `json:"issuerName"`
	ProgramName          string           `json:"programName"`
	LocalizedProgramName *LocalizedString `json:"localizedProgramName,omitempty"`
	ProgramLogo          Image            `json:"programLogo"`
	HexBackgroundColor   string           `json:"hexBackgroundColor"`
	ReviewStatus         string           `json:"reviewStatus"`
	// CallbackOptions is where Google posts saves and deletions.
	CallbackOptions *CallbackOptions `json:"callbackOptions,omitempty"`
}

// CallbackOptions names the class's callback URL.
type CallbackOptions struct {
	URL string `json:"url"`
}

// Image is an image Google fetches from a public address.
type Image struct {
	SourceURI struct {
		URI string `json:"uri"`
	} `json:"sourceUri"`
}

// LoyaltyObject is one card.
type LoyaltyObject struct {
	ID                     string       `json:"id"`
	ClassID                string       `json:"classId"`
	State                  string       `json:"state"`
	AccountID              string       `json:"accountId"`
	AccountName            string       `json:"accountName,omitempty"`
	Barcode                Barcode      `json:"barcode"`
	LoyaltyPoints          *Points      `json:"loyaltyPoints,omitempty"`
	SecondaryLoyaltyPoints *Points      `json:"secondaryLoyaltyPoints,omitempty"`
	TextModulesData        []TextModule `json:"textModulesData,omitempty"`
	Messages               []Message    `json:"messages,omitempty"`
	HexBackgroundColor     string       `json:"hexBackgroundColor,omitempty"`
}

// Barcode is the code a till scans.
type Barcode struct {
	Type          string `json:"type"`
	Value         string `json:"value"`
	AlternateText string `json:"alternateText"`
}

// Points is the object's main figure.
type Points struct {
	Label          string           `json:"label"`
	LocalizedLabel *LocalizedString `json:"localizedLabel,omitempty"`
	Balance        struct {
		String string `json:"string"`
	} `json:"balance"`
}

// TextModule is a labelled text on the card.
type TextModule struct {
	ID              string           `json:"id"`
	Header          string           `json:"header"`
	Body            string           `json:"body"`
	LocalizedHeader *LocalizedString `json:"localizedHeader,omitempty"`
	LocalizedBody   *LocalizedString `json:"localizedBody,omitempty"`
}

// Message is a notice on the card; TEXT_AND_NOTIFY also notifies the
// phone (Google limits how often).
type Message struct {
	ID              string           `json:"id"`
	Header          string           `json:"header"`
	Body            string           `json:"body"`
	MessageType     string           `json:"messageType"`
	LocalizedHeader *LocalizedString `json:"localizedHeader,omitempty"`
	LocalizedBody   *LocalizedString `json:"localizedBody,omitempty"`
}

// ClassID names a program's class.
func (i *Issuer) ClassID(programID string) string { return i.IssuerID + ".program-" + programID }

// ObjectID names a card's object.
func (i *Issuer) ObjectID(serial string) string { return i.IssuerID + ".card-" + serial }

// Class is a program's loyalty class.
func (i *Issuer) Class(programID, issuerName string, v passview.View, logoURL string) LoyaltyClass {
	c := LoyaltyClass{ID: i.ClassID(programID), IssuerName: issuerName, ProgramName: v.Title, HexBackgroundColor: v.Background,
		ReviewStatus: "UNDER_REVIEW"}
	c.ProgramLogo.SourceURI.URI = logoURL
	return c
}

// Object is a card's loyalty object: its first primary field is the
// main figure, the header field (the tier) the second, every other field
// a text module; changed fields that carry a delta become a notifying
// message.
func (i *Issuer) Object(programID, serial string, v passview.View, at time.Time) LoyaltyObject {
	o := LoyaltyObject{ID: i.ObjectID(serial), ClassID: i.ClassID(programID), State: "ACTIVE", AccountID: v.Number,
		Barcode: Barcode{Type: "QR_CODE", Value: v.Number, AlternateText: v.Number}, HexBackgroundColor: v.Background}
	for _, f := range v.Fields {
		switch {
		case f.Slot == passview.Primary && o.LoyaltyPoints == nil:
			o.LoyaltyPoints = points(f)
		case f.Slot == passview.Header && o.SecondaryLoyaltyPoints == nil:
			o.SecondaryLoyaltyPoints = points(f)
		default:
			o.TextModulesData = append(o.TextModulesData, TextModule{ID: f.Key, Header: f.Label["en"], Body: f.Value["en"],
				LocalizedHeader: localized(f.Label), LocalizedBody: localized(f.Value)})
		}
		if f.Delta {
			o.Messages = append(o.Messages, message(f, at))
		}
	}
	return o
}

func points(f passview.Field) *Points {
	p := &Points{Label: f.Label["en"], LocalizedLabel: localized(f.Label)}
	p.Balance.String = f.Value["en"]
	return p
}

// message turns a field's change message into a notice, its %@ replaced
// by the new value.
func message(f passview.Field, at time.Time) Message {
	body := passview.Text{}
	for l, m := range f.Change {
		body[l] = strings.ReplaceAll(m, "%@", f.Value[l])
	}
	return Message{ID: f.Key + "-" + at.UTC().Format("20060102T150405"), Header: f.Label["en"], Body: body["en"], MessageType: "TEXT_AND_NOTIFY",
		LocalizedHeader: localized(f.Label), LocalizedBody: localized(body)}
}

func localized(t passview.Text) *LocalizedString {
	if t == nil {
		return nil
	}
	ls := &LocalizedString{DefaultValue: TranslatedString{Language: "en", Value: t["en"]}}
	for _, l := range passview.Locales[1:] {
		ls.TranslatedValues = append(ls.TranslatedValues, TranslatedString{Language: l, Value: t[l]})
	}
	return ls
}

// saveClaims are the claims of a save link.
type saveClaims struct {
	Iss     string   `json:"iss"`
	Aud     string   `json:"aud"`
	Typ     string   `json:"typ"`
	Iat     int64    `json:"iat"`
	Origins []string `json:"origins"`
	Payload struct {
		LoyaltyClasses []LoyaltyClass  `json:"loyaltyClasses,omitempty"`
		LoyaltyObjects []LoyaltyObject `json:"loyaltyObjects"`
	} `json:"payload"`
}

// SaveURL is the "save to Google Wallet" link of a card: the class and
// the object in a JWT signed with the service account's key.
func (i *Issuer) SaveURL(class LoyaltyClass, obj LoyaltyObject, origin string, at time.Time) (string, error) {
	c := saveClaims{Iss: i.Email, Aud: "google", Typ: "savetowallet", Iat: at.Unix(), Origins: []string{origin}}
	c.Payload.LoyaltyClasses = []LoyaltyClass{class}
	c.Payload.LoyaltyObjects = []LoyaltyObject{obj}
	jwt, err := i.Sign(c)
	return "https://pay.google.com/gp/v/save/" + jwt, err
}
