package httpapi_test

import (
	"fmt"

	"github.com/chengxin/chengxin/subject"
)

// residentID builds a valid 18-character resident ID (GB 11643).
func residentID(region, birth string, seq int) string {
	body := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return body + string(subject.ResidentCheckDigit(body))
}

// uscc builds a valid unified social credit code around an 8-character
// organisation code body (GB 11714 + GB 32100).
func uscc(region, orgBody string) string {
	body := "91" + region + orgBody + string(subject.OrgCodeCheckChar(orgBody))
	return body + string(subject.USCCCheckChar(body))
}
