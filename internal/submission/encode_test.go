package submission

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/role"
)

// TestOverrides_RoundTrip: every override an admin can make comes back
// from its stored form as it was, so a result shown later is computed
// with exactly the overrides in force when it was made; overrides without
// the newer fields keep their old text, and so their old snapshot.
func TestOverrides_RoundTrip(t *testing.T) {
	yes := true
	ovs := []role.Override{
		{ItemID: "b", Omit: true},
		{ItemID: "a", Kind: role.KindTrait, Weight: 2, Bonus: &yes, Expect: map[string]float64{"senior": 4}},
	}
	text, err := EncodeOverrides(ovs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeOverrides(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []role.Override{ovs[1], ovs[0]} // sorted by item
	if d := cmp.Diff(want, back); d != "" {
		t.Errorf("overrides after a round trip (-want +got):\n%s", d)
	}
	old, _ := EncodeOverrides([]role.Override{{ItemID: "a", Kind: role.KindSkill}})
	if old != `[{"item":"a","kind":"skill","weight":null,"bonus":null}]` {
		t.Errorf("an override without omit or expect is stored as %s", old)
	}
}
