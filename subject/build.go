package subject

// Check characters for systems and tests that build identifiers (the demo
// data set, department-side tooling). Bodies must already be valid
// characters of their alphabet; Parse is what validates.

// ResidentCheckDigit is the GB 11643 check character of a 17-digit body.
func ResidentCheckDigit(body string) byte { return gbCheckDigit([]byte(body[:17])) }

// OrgCodeCheckChar is the GB 11714 check character of an 8-character body.
func OrgCodeCheckChar(body string) byte { return orgCheckChar([]byte(body[:8])) }

// USCCCheckChar is the GB 32100 check character of a 17-character body.
func USCCCheckChar(body string) byte { return usccCheck([]byte(body[:17])) }

func usccCheck(b []byte) byte {
	s := 0
	for i, w := range usccWeights {
		s += int(usccValue[b[i]]) * w
	}
	return usccAlphabet[(31-s%31)%31]
}
