package mail

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// Compose renders m as an RFC 5322 message from from: UTF-8, quoted-
// printable bodies, an encoded subject. Header values with line breaks are
// refused, so that no input can add headers of its own.
func Compose(from string, m Message, now time.Time) ([]byte, error) {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return nil, fmt.Errorf("mail: recipient %q is not an e-mail address", m.To)
	}
	h := map[string]string{
		"From": from, "To": m.To, "Subject": mime.QEncoding.Encode("utf-8", m.Subject),
		"Date": now.Format(time.RFC1123Z), "MIME-Version": "1.0", "Message-ID": messageID(m.ID, from),
	}
	for k, v := range m.Headers {
		h[textproto.CanonicalMIMEHeaderKey(k)] = v
	}
	var buf bytes.Buffer
	if err := writeHeaders(&buf, h); err != nil {
		return nil, err
	}
	if m.HTML == "" {
		buf.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		err := writeQP(&buf, m.Text)
		return buf.Bytes(), err
	}
	mw := multipart.NewWriter(&buf)
	fmt.Fprintf(&buf, "Content-Type: multipart/alternative; boundary=%s\r\n\r\n", mw.Boundary())
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type": {part.typ + "; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(pw, part.body); err != nil {
			return nil, err
		}
	}
	err := mw.Close()
	return buf.Bytes(), err
}

func writeHeaders(buf *bytes.Buffer, h map[string]string) error {
	keys := make([]string, 0, len(h))
	for k, v := range h {
		if strings.ContainsAny(k+v, "\r\n") {
			return fmt.Errorf("mail: header %s has a line break", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(buf, "%s: %s\r\n", k, h[k])
	}
	return nil
}

type writer interface{ Write([]byte) (int, error) }

func writeQP(w writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(s, "\n", "\r\n"))); err != nil {
		return err
	}
	return qp.Close()
}

// messageID makes a Message-ID from a stable id (or a fresh one) and the
// sender's domain.
func messageID(id, from string) string {
	if id == "" {
		id = ids.New()
	}
	domain := "loyal.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if at := strings.LastIndexByte(a.Address, '@'); at > 0 {
			domain = a.Address[at+1:]
		}
	}
	return "<" + id + "@" + domain + ">"
}

// address is the bare address of "Name <a@b>" or "a@b".
func address(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}
