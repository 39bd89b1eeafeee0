package importer

// countryNames are English country names as ERP exports write them (the
// Online Retail data set's among them), to ISO 3166-1 alpha-2.
var countryNames = map[string]string{
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "germany": "DE", "france": "FR", "eire": "IE", "ireland": "IE",
	"spain": "ES", "belgium": "BE", "netherlands": "NL", "switzerland": "CH", "portugal": "PT", "australia": "AU",
	"norway": "NO", "finland": "FI", "italy": "IT", "channel islands": "JE", "cyprus": "CY", "sweden": "SE", "poland": "PL",
	"japan": "JP", "denmark": "DK", "israel": "IL", "austria": "AT", "hong kong": "HK", "usa": "US", "united states": "US",
	"malta": "MT", "iceland": "IS", "singapore": "SG", "canada": "CA", "brazil": "BR", "rsa": "ZA", "south africa": "ZA",
	"united arab emirates": "AE", "greece": "GR", "czech republic": "CZ", "czechia": "CZ", "lithuania": "LT", "lebanon": "LB",
	"saudi arabia": "SA", "bahrain": "BH", "turkey": "TR", "türkiye": "TR", "russia": "RU", "ukraine": "UA", "kazakhstan": "KZ",
	"россия": "RU", "украина": "UA", "казахстан": "KZ", "беларусь": "BY", "belarus": "BY", "iran": "IR", "china": "CN", "india": "IN",
}
