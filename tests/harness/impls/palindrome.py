"""IsPalindrome(s)."""


def correct(s):
    return s == s[::-1]


def wrong_half_check(s):
    return s[: len(s) // 2] == s[: len(s) // 2][::-1]
