// Package links prepares the links in an imported page's sanitised HTML
// for rolefit's pages: resolved against the page's own address, shown as
// text when they cannot be, and opened in a new tab where leaving the page
// would lose work.
package links

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// newTabNote tells screen reader users that a link leaves the page open.
const newTabNote = `<span class="visually-hidden"> (opens in a new tab)</span>`

// Rewrite prepares an item's sanitised HTML for a page of rolefit. Its
// links were written for the page it was imported from: a relative one is
// resolved against that page's address (base), and one that cannot be
// resolved, or leads anywhere but http(s) or mail, is shown as its text
// only, so that no link points into rolefit by accident. With newTab the
// links open in a new tab, as they must inside a check, where leaving the
// page would lose the answers of the step, and say so. Rewriting HTML
// again with the same base changes nothing more.
func Rewrite(src, base string, newTab bool) string {
	if !strings.Contains(src, "<a") {
		return src
	}
	baseURL, err := url.Parse(base)
	if err != nil || !baseURL.IsAbs() {
		baseURL = nil
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	// dropped counts the open <a> elements shown as text only.
	dropped, open := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			t := z.Token()
			if t.Data != "a" {
				b.WriteString(t.String())
				continue
			}
			href := resolveLink(attr(t, "href"), baseURL)
			if href == "" {
				dropped++
				continue
			}
			open++
			a := html.Token{Type: html.StartTagToken, Data: "a", Attr: []html.Attribute{{Key: "href", Val: href}}}
			if newTab {
				a.Attr = append(a.Attr, html.Attribute{Key: "target", Val: "_blank"}, html.Attribute{Key: "rel", Val: "noopener"})
			}
			b.WriteString(a.String())
		case html.EndTagToken:
			t := z.Token()
			switch {
			case t.Data == "a" && dropped > 0:
				dropped--
			case t.Data == "a" && open > 0:
				open--
				if newTab {
					b.WriteString(newTabNote)
				}
				b.WriteString(t.String())
			case t.Data != "a":
				b.WriteString(t.String())
			}
		default:
			b.Write(z.Raw())
		}
	}
}

// resolveLink returns href made absolute against base, or "" when it
// cannot be: a relative link without a base, or a scheme other than
// http(s) and mailto.
func resolveLink(href string, base *url.URL) string {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || href == "" {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
	default:
		return ""
	}
	return u.String()
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
