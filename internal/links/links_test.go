package links

import "testing"

func TestRewrite(t *testing.T) {
	const base = "https://handbook.example.com/job-families/marketing/pm/"
	tests := []struct {
		name, src, base string
		newTab          bool
		want            string
	}{
		{"NoLinks", "Plain <b>text</b> &amp; more", base, true, "Plain <b>text</b> &amp; more"},
		{"Absolute", `See <a href="https://example.org/x?a=1&amp;b=2">x</a>.`, base, false,
			`See <a href="https://example.org/x?a=1&amp;b=2">x</a>.`},
		{"RootRelative", `Our <a href="/handbook/values/">values</a>`, base, false,
			`Our <a href="https://handbook.example.com/handbook/values/">values</a>`},
		{"PageRelative", `<a href="../editor/">editor</a>`, base, false,
			`<a href="https://handbook.example.com/job-families/marketing/editor/">editor</a>`},
		{"Fragment", `<a href="#senior">senior</a>`, base, false,
			`<a href="https://handbook.example.com/job-families/marketing/pm/#senior">senior</a>`},
		{"RelativeWithoutBase", `Our <a href="/handbook/values/">values</a>, and <b>more</b>`, "", false,
			`Our values, and <b>more</b>`},
		{"BaseNotAbsolute", `<a href="/values/">values</a>`, "/job-families/pm/", false, `values`},
		{"Script", `<a href="javascript:alert(1)">x</a>`, base, true, `x`},
		{"Mail", `<a href="mailto:jobs@example.com">mail</a>`, "", false, `<a href="mailto:jobs@example.com">mail</a>`},
		{"NewTab", `the <a href="https://example.org/remote">all remote</a> lifestyle`, base, true,
			`the <a href="https://example.org/remote" target="_blank" rel="noopener">all remote` + newTabNote + `</a> lifestyle`},
		{"NewTabMixed", `<a href="/a">a</a> <a href="https://example.org/b">b</a>`, "", true,
			`a <a href="https://example.org/b" target="_blank" rel="noopener">b` + newTabNote + `</a>`},
		{"ExtraAttributesDropped", `<a href="https://example.org/" title="t" onclick="x()">t</a>`, "", false,
			`<a href="https://example.org/">t</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rewrite(tt.src, tt.base, tt.newTab)
			if got != tt.want {
				t.Errorf("Rewrite(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
			// Resolving what is resolved already changes nothing.
			if again := Rewrite(Rewrite(tt.src, tt.base, false), "", tt.newTab); again != got {
				t.Errorf("resolved, then rewritten without a base:\n got %s\nwant %s", again, got)
			}
		})
	}
}
