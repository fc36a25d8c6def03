package subject

// GB 32100 alphabet (no I, O, S, V, Z: they read like digits); a character's
// value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps a byte to its value in usccAlphabet, -1 when absent.
var usccValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := range len(usccAlphabet) {
		v[usccAlphabet[i]] = int8(i)
	}
	return v
}()

// GB 11714 weights of the 8 body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCheckChar computes the check character of an 8-char organisation code
// body of digits and upper-case letters (A=10 … Z=35).
func orgCheckChar(body []byte) byte {
	s := 0
	for i, w := range orgWeights {
		c := body[i]
		v := int(c - '0')
		if isUpper(c) {
			v = int(c-'A') + 10
		}
		s += v * w
	}
	switch c := 11 - s%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// parseUSCC validates a unified social credit code: alphabet, digits in the
// region positions 3–8, its own check character and the check of the
// organisation code it embeds at positions 9–17, which is its key.
func parseUSCC(buf *[maxLen]byte, n int) (ID, error) {
	if n != 18 {
		return ID{}, badLength(" 18 位", "18 characters", n)
	}
	b := buf[:18]
	for i, c := range b {
		if i >= 2 && i < 8 && !isDigit(c) {
			return ID{}, badChar(i+1, "数字（第 3–8 位为行政区划码）", "a digit (positions 3–8 are a region code)")
		}
		if usccValue[c] < 0 {
			return ID{}, badChar(i+1, "数字或除 I、O、S、V、Z 以外的大写字母", "a digit or an upper-case letter other than I, O, S, V, Z")
		}
	}
	if want := usccCheck(b); b[17] != want {
		return ID{}, badCheck(want)
	}
	if want := orgCheckChar(b[8:16]); b[16] != want {
		return ID{}, invalid("bad_check_digit",
			"统一社会信用代码第 9–17 位的组织机构代码校验位错误：第 17 位应为 "+string(want),
			"the organisation code embedded at positions 9–17 has a wrong check digit: expected "+string(want)+" at position 17")
	}
	// One allocation holds "O" + the org code (the key) and the USCC (the value).
	var k [10 + 18]byte
	k[0] = 'O'
	copy(k[1:10], b[8:17])
	copy(k[10:], b)
	return keyed(USCC, k[:], 10, 10), nil
}

// parseOrgCode accepts "XXXXXXXX-X" or "XXXXXXXXX" and gives the hyphenated
// form as the value.
func parseOrgCode(buf *[maxLen]byte, n int) (ID, error) {
	var check byte
	switch n {
	case 10:
		if buf[8] != '-' {
			return ID{}, badChar(9, "连字符“-”", "a hyphen")
		}
		check = buf[9]
	case 9:
		check = buf[8]
	default:
		return ID{}, badLength(" 9 位（可写作“8 位-1 位”）", "9 characters (optionally written as 8, hyphen, 1)", n)
	}
	body := buf[:8]
	for i, c := range body {
		if !isDigit(c) && !isUpper(c) {
			return ID{}, badChar(i+1, "数字或大写字母", "a digit or a letter")
		}
	}
	if !isDigit(check) && check != 'X' {
		return ID{}, badChar(n, "数字或 X", "a digit or X")
	}
	if want := orgCheckChar(body); check != want {
		return ID{}, badCheck(want)
	}
	// One allocation holds "O" + 9 chars (the key) and "XXXXXXXX-X" (the value).
	var k [10 + 10]byte
	k[0] = 'O'
	copy(k[1:9], body)
	k[9] = check
	copy(k[10:18], body)
	k[18], k[19] = '-', check
	return keyed(OrgCode, k[:], 10, 10), nil
}
