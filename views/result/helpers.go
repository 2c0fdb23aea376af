package result

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func levelWord(closest bool) string {
	if closest {
		return "closest"
	}
	return "recommended"
}

// foldAfter is how many lines of a long list show before the rest fold
// away, so the page stays short.
const foldAfter = 5
