package httpapi_test

import (
	"fmt"
	"strings"
)

// residentID builds a valid 18-character resident ID (GB 11643).
func residentID(region, birth string, seq int) string {
	body := fmt.Sprintf("%s%s%03d", region, birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// uscc builds a valid unified social credit code around an 8-character
// organisation code body (GB 11714 + GB 32100).
func uscc(region, orgBody string) string {
	ow := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range ow {
		sum += strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", orgBody[i]) * w
	}
	c9 := 11 - sum%11
	check := map[int]string{10: "X", 11: "0"}[c9]
	if check == "" {
		check = fmt.Sprint(c9)
	}
	body := "91" + region + orgBody + check
	uw := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum = 0
	for i, w := range uw {
		sum += strings.IndexByte(usccAlphabet, body[i]) * w
	}
	return body + string(usccAlphabet[(31-sum%31)%31])
}
