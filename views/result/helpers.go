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
