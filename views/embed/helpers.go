package embed

import (
	"strconv"

	"github.com/a-h/templ"
)

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// frameAttrs are the root element's optional attributes.
func frameAttrs(f Frame) templ.Attributes {
	a := templ.Attributes{}
	if f.Parent != "" {
		a["data-parent"] = f.Parent
	}
	return a
}

func boxAttrs(f Frame) templ.Attributes {
	a := templ.Attributes{}
	if f.Level != "" {
		a["data-level"] = f.Level
	}
	return a
}
