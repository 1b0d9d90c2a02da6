/* validate.c: Luhn, IBAN (length table and mod-97), the E.164 calling-code
 * table, and the lookaround window (see validate.h). */
#include "scan/validate.h"

#include <string.h>

#include "util/limits.h"

void val_window(size_t len, size_t at, size_t *lo, size_t *hi)
{
    if (at > len)
        at = len;
    *lo = at > SCAN_LOOKAROUND ? at - SCAN_LOOKAROUND : 0;
    *hi = len - at > SCAN_LOOKAROUND ? at + SCAN_LOOKAROUND : len;
}

int val_luhn(const char *digits, size_t n)
{
    unsigned sum = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)digits[n - 1 - i];
        if (!val_is_digit(c))
            return 0;
        unsigned d = (unsigned)(c - '0');
        if (i & 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* SWIFT IBAN registry (release 99, 2025), plus the countries that publish
 * IBANs outside it but are in use (none needed so far).  Sorted. */
static const struct {
    char cc[3];
    unsigned char len;
} iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
};

int val_iban_length(const char *cc)
{
    size_t lo = 0, hi = sizeof iban_lengths / sizeof iban_lengths[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(cc, iban_lengths[mid].cc, 2);
        if (c == 0)
            return iban_lengths[mid].len;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static int iban_mod97_step(unsigned *r, int c)
{
    if (val_is_digit(c)) {
        *r = (*r * 10 + (unsigned)(c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
        unsigned v = (unsigned)(c - 'A' + 10);
        *r = (*r * 100 + v) % 97;
    } else {
        return 0;
    }
    return 1;
}

int val_iban(const char *iban, size_t n)
{
    if (n < 15 || n > 34)
        return 0;
    if (!(iban[0] >= 'A' && iban[0] <= 'Z' && iban[1] >= 'A' && iban[1] <= 'Z'))
        return 0;
    if ((size_t)val_iban_length(iban) != n)
        return 0;
    if (!val_is_digit((unsigned char)iban[2]) || !val_is_digit((unsigned char)iban[3]))
        return 0;
    int check = (iban[2] - '0') * 10 + (iban[3] - '0');
    if (check < 2 || check > 98)
        return 0;
    unsigned r = 0;
    for (size_t i = 4; i < n + 4; i++)
        if (!iban_mod97_step(&r, (unsigned char)iban[i % n]))
            return 0;
    return r == 1;
}

/* ITU-T E.164 assigned country calling codes (including the global
 * services 800, 808, 870, 878, 881-883, 888).  Prefix-free. */
static const char *const calling_codes[] = {
    "1",   "7",   "20",  "27",  "30",  "31",  "32",  "33",  "34",  "36",  "39",  "40",  "41",
    "43",  "44",  "45",  "46",  "47",  "48",  "49",  "51",  "52",  "53",  "54",  "55",  "56",
    "57",  "58",  "60",  "61",  "62",  "63",  "64",  "65",  "66",  "81",  "82",  "84",  "86",
    "90",  "91",  "92",  "93",  "94",  "95",  "98",  "211", "212", "213", "216", "218", "220",
    "221", "222", "223", "224", "225", "226", "227", "228", "229", "230", "231", "232", "233",
    "234", "235", "236", "237", "238", "239", "240", "241", "242", "243", "244", "245", "246",
    "247", "248", "249", "250", "251", "252", "253", "254", "255", "256", "257", "258", "260",
    "261", "262", "263", "264", "265", "266", "267", "268", "269", "290", "291", "297", "298",
    "299", "350", "351", "352", "353", "354", "355", "356", "357", "358", "359", "370", "371",
    "372", "373", "374", "375", "376", "377", "378", "379", "380", "381", "382", "383", "385",
    "386", "387", "389", "420", "421", "423", "500", "501", "502", "503", "504", "505", "506",
    "507", "508", "509", "590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
    "670", "672", "673", "674", "675", "676", "677", "678", "679", "680", "681", "682", "683",
    "685", "686", "687", "688", "689", "690", "691", "692", "800", "808", "850", "852", "853",
    "855", "856", "870", "878", "880", "881", "882", "883", "886", "888", "960", "961", "962",
    "963", "964", "965", "966", "967", "968", "970", "971", "972", "973", "974", "975", "976",
    "977", "979", "992", "993", "994", "995", "996", "998",
};

int val_calling_code(const char *d, size_t n)
{
    for (size_t i = 0; i < sizeof calling_codes / sizeof calling_codes[0]; i++) {
        size_t l = strlen(calling_codes[i]);
        if (l <= n && memcmp(d, calling_codes[i], l) == 0)
            return (int)l;
    }
    return 0;
}

/* National significant number lengths where the plan is fixed or narrow;
 * every other code gets the generic 6..12. */
static const struct {
    const char *cc;
    unsigned char min, max;
} national_lengths[] = {
    {"1", 10, 10}, {"7", 10, 10}, {"30", 10, 10}, {"31", 9, 9},  {"32", 8, 9},   {"33", 9, 9},
    {"34", 9, 9},  {"36", 8, 9},  {"39", 6, 11},  {"40", 9, 9},  {"41", 9, 9},   {"44", 9, 10},
    {"45", 8, 8},  {"47", 8, 8},  {"48", 9, 9},   {"61", 9, 9},  {"90", 10, 10}, {"91", 10, 10},
    {"351", 9, 9}, {"355", 8, 9}, {"356", 8, 8},  {"357", 8, 8}, {"359", 8, 9},  {"370", 8, 8},
    {"371", 8, 8}, {"372", 7, 8}, {"380", 9, 9},  {"382", 8, 9}, {"383", 8, 9},  {"385", 8, 9},
    {"386", 8, 8}, {"387", 8, 9}, {"389", 8, 8},  {"420", 9, 9}, {"421", 9, 9},
};

void val_national_lengths(const char *cc, size_t cc_len, int *min, int *max)
{
    *min = 6;
    *max = 12;
    for (size_t i = 0; i < sizeof national_lengths / sizeof national_lengths[0]; i++) {
        if (strlen(national_lengths[i].cc) == cc_len &&
            memcmp(national_lengths[i].cc, cc, cc_len) == 0) {
            *min = national_lengths[i].min;
            *max = national_lengths[i].max;
            return;
        }
    }
}
