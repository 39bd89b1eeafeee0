package passview

import (
	"fmt"
	"time"
)

// labels are the fields' labels per locale. A locale added here (uk, tr,
// fa) needs its line in every table of this file.
var labels = map[string]Text{
	"balance":       {"en": "Balance", "ru": "Баланс"},
	"pending":       {"en": "Pending", "ru": "Ожидают"},
	"expiry":        {"en": "Expiring", "ru": "Сгорают"},
	"tier":          {"en": "Level", "ru": "Уровень"},
	"progress":      {"en": "Next level", "ru": "Следующий уровень"},
	"discount":      {"en": "Discount", "ru": "Скидка"},
	"discount_next": {"en": "Next discount step", "ru": "Следующая ступень скидки"},
	"stamps":        {"en": "Stamps", "ru": "Штампы"},
	"coupons":       {"en": "Coupons", "ru": "Купоны"},
	"coupon_list":   {"en": "Coupons to use", "ru": "Купоны к использованию"},
	"number":        {"en": "Card number", "ru": "Номер карты"},
}

func label(key string) Text { return labels[key] }

// changes are the generic change messages (%@ is the new value).
var changes = map[string]Text{
	"balance":  {"en": "Balance: %@", "ru": "Баланс: %@"},
	"tier":     {"en": "Your level is now %@", "ru": "Ваш уровень теперь %@"},
	"tier_up":  {"en": "%@ reached", "ru": "Достигнут уровень %@"},
	"discount": {"en": "Your discount is now %@", "ru": "Ваша скидка теперь %@"},
	"stamps":   {"en": "Stamps: %@", "ru": "Штампы: %@"},
	"reward":   {"en": "Card complete, your reward is ready! Stamps: %@", "ru": "Карта заполнена, награда ждёт вас! Штампы: %@"},
	"coupons":  {"en": "Coupons to use: %@", "ru": "Купонов к использованию: %@"},
	"pending":  {"en": "Pending: %@", "ru": "Ожидают: %@"},
}

// unitWords name a point unit in each locale: singular, few (ru 2–4),
// many.
var unitWords = map[string]map[string][3]string{
	"points":  {"en": {"point", "points", "points"}, "ru": {"балл", "балла", "баллов"}},
	"bonuses": {"en": {"bonus", "bonuses", "bonuses"}, "ru": {"бонус", "бонуса", "бонусов"}},
	"miles":   {"en": {"mile", "miles", "miles"}, "ru": {"миля", "мили", "миль"}},
	"stamps":  {"en": {"stamp", "stamps", "stamps"}, "ru": {"штамп", "штампа", "штампов"}},
}

// deltaMessage is "+120 points, now %@" in each locale.
func deltaMessage(unit, currency string, delta int64, formatted string) Text {
	t := Text{}
	for _, l := range Locales {
		what := currency
		if w, ok := unitWords[unit]; ok {
			what = plural(l, delta, w[l])
		}
		now := map[string]string{"en": "now", "ru": "теперь"}[l]
		t[l] = fmt.Sprintf("%s %s, %s %%@", formatted, what, now)
	}
	return t
}

// plural picks a word's form for n in a locale.
func plural(locale string, n int64, forms [3]string) string {
	n = max(n, -n) % 100
	if locale != "ru" {
		if n == 1 {
			return forms[0]
		}
		return forms[2]
	}
	switch {
	case n%10 == 1 && n != 11:
		return forms[0]
	case n%10 >= 2 && n%10 <= 4 && (n < 12 || n > 14):
		return forms[1]
	}
	return forms[2]
}

// toNext is "1,200.00 to Gold".
func toNext(remaining, next string) Text {
	return Text{"en": remaining + " to " + next, "ru": remaining + " до уровня " + next}
}

// stepNext is "7% after 1,200.00 more".
func stepNext(pct, remaining string) Text {
	return Text{"en": pct + " after " + remaining + " more", "ru": pct + " после покупок ещё на " + remaining}
}

// expiring is "120 on 31 Dec 2026".
func expiring(n string, at time.Time) Text {
	return Text{"en": n + " on " + at.Format("2 Jan 2006"), "ru": n + " — " + at.Format("02.01.2006")}
}

// ofN is "3 of 5".
func ofN(have, needed int64) Text {
	return Text{"en": fmt.Sprintf("%d of %d", have, needed), "ru": fmt.Sprintf("%d из %d", have, needed)}
}
