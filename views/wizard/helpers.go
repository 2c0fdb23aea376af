package wizard

import "github.com/a-h/templ"

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// describedBy links an item's inputs to its error message, if any.
func describedBy(it Item) templ.Attributes {
	if it.Error == "" {
		return nil
	}
	return templ.Attributes{"aria-describedby": "e-" + it.ID, "aria-invalid": "true"}
}
