package notify

import (
	"strings"
	"testing"
)

func TestTemplateCheck(t *testing.T) {
	tp := Template{Code: "welcome", Channel: ChannelEmail, Lang: "en", Subject: "Hi", Body: "Hello {{person.name}},\nyour balance: {{ balanse }}"}
	err := tp.check()
	if err == nil || !strings.Contains(err.Error(), "{{balanse}} at line 2, column 15") {
		t.Fatalf("%v", err)
	}
	tp.Body = "Hello {{person.name"
	if err := tp.check(); err == nil || !strings.Contains(err.Error(), "unclosed {{ at line 1, column 7") {
		t.Fatalf("%v", err)
	}
	sms := Template{Code: "x", Channel: ChannelSMS, Lang: "ru", Body: strings.Repeat("я", 71)}
	if err := sms.check(); err != nil || len(sms.Warnings) != 1 {
		t.Fatalf("%v %v", err, sms.Warnings)
	}
	sms.Body = strings.Repeat("a", 160)
	if err := sms.check(); err != nil || len(sms.Warnings) != 0 {
		t.Fatalf("160 GSM characters flagged: %v", sms.Warnings)
	}
}

func TestRenderEscapesHTMLOnly(t *testing.T) {
	vars := map[string]string{"person.name": `<script>alert("x")</script> & Co`}
	if got := render("<p>{{person.name}}</p>", vars, true); got != "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</p>" {
		t.Fatal(got)
	}
	if got := render("Hi {{ person.name }}{{tier}}!", vars, false); got != `Hi <script>alert("x")</script> & Co!` {
		t.Fatal(got)
	}
}
