package web

import (
	"errors"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// stringSerializer is the serializer of the check cookie and the widget's
// sealed state: what they hold is one string (see checkState.encode), and
// gob, securecookie's default, spent more time describing that string's
// type on every request than the rest of the cookie's decoding took.
// Anything else still goes through gob, and cookies gob wrote are still
// read: a gob stream never starts with a zero byte, and these values do.
type stringSerializer struct{ gob securecookie.GobEncoder }

// The forms a value takes: a zero byte, a kind byte, the string.
const (
	serialString = 's' // a bare string
	serialCheck  = 'c' // session values holding only the check state
)

func (z stringSerializer) Serialize(src any) ([]byte, error) {
	switch v := src.(type) {
	case string:
		return append([]byte{0, serialString}, v...), nil
	case map[any]any:
		if s, ok := v[stateKey].(string); ok && len(v) == 1 {
			return append([]byte{0, serialCheck}, s...), nil
		}
	}
	return z.gob.Serialize(src)
}

func (z stringSerializer) Deserialize(src []byte, dst any) error {
	if len(src) < 2 || src[0] != 0 {
		return z.gob.Deserialize(src, dst)
	}
	switch d := dst.(type) {
	case *string:
		if src[1] == serialString {
			*d = string(src[2:])
			return nil
		}
	case *map[any]any:
		if src[1] == serialCheck {
			if *d == nil {
				*d = map[any]any{}
			}
			(*d)[stateKey] = string(src[2:])
			return nil
		}
	}
	return errors.New("web: the cookie holds a value of another type")
}

// useStringSerializer makes the store's codecs use stringSerializer.
func useStringSerializer(st *sessions.CookieStore) {
	for _, c := range st.Codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(stringSerializer{})
		}
	}
}
