/* test_scan_iban.c: src/scan/types/iban.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_iban;
#define T (&scan_type_iban)

static void test_found(void **state)
{
    (void)state;
    th_one(T, "AL47212110090000000235698741", "AL47212110090000000235698741");
    th_one(T, "AL47 2121 1009 0000 0002 3569 8741", "AL47212110090000000235698741");
    th_one(T, "GB82WEST12345698765432", "GB82WEST12345698765432");
    th_one(T, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432");
    th_one(T, "DE89370400440532013000", "DE89370400440532013000");
    th_one(T, "NO9386011117947", "NO9386011117947");
    th_one(T, "MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S");
    th_one(T, "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606");
    const char *in =
        "IBAN: DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX; (AL47212110090000000235698741)";
    th_want w[] = {{"iban", 6, th_at(in, ", BIC"), "DE89370400440532013000"},
                   {"iban", th_at(in, "AL47"), strlen(in) - 1, "AL47212110090000000235698741"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    /* a grouped IBAN followed by another word */
    const char *in2 = "GB82 WEST 1234 5698 7654 32 EUR";
    th_want w2[] = {{"iban", 0, 27, "GB82WEST12345698765432"}, {NULL, 0, 0, NULL}};
    th_check(T, in2, NULL, w2);
}

#include "iban_vectors.h"

/* Every registry example is found compact and in groups of four (whose
 * anchor is "digit, space, three digits"), in noise and alone. */
static void test_registry_examples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ibans / sizeof ibans[0]; i++) {
        char grouped[48];
        size_t n = 0, len = strlen(ibans[i]);
        for (size_t k = 0; k < len; k++) {
            if (k > 0 && k % 4 == 0)
                grouped[n++] = ' ';
            grouped[n++] = ibans[i][k];
        }
        grouped[n] = '\0';
        th_one(T, ibans[i], ibans[i]);
        th_one(T, grouped, ibans[i]);
    }
}

static void test_rejects(void **state)
{
    (void)state;
    th_none(T, "AL47212110090000000235698742"); /* mod-97 */
    th_none(T, "AL47 2121 1009 0000 0002 3569 8742");
    th_none(T, "DE89 3704 0044 0532 0130 01");
    th_none(T, "XAL47212110090000000235698741"); /* glued to a word */
    th_none(T, "AL472121100900000002356987410"); /* runs on */
    th_none(T, "AL4721211009000000023569874");   /* one short */
    th_none(T, "GB82 WEST 1234 5698 7654 3");
    th_none(T, "de89370400440532013000");     /* lower case */
    th_none(T, "DE8937 0400 4405 3201 3000"); /* spaces off the groups of four */
    th_none(T, "US64SVBKUS6S3300958879");     /* no IBAN country */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_registry_examples),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
