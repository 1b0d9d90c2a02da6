/* test_scan_account.c: src/scan/types/account.c. */
#include "scan_type_harness.h"

extern const scan_type scan_type_account;
#define T (&scan_type_account)

/* one account, from the first byte of `from` to the end of the input */
static void one_from(const char *in, const char *from, const char *feature)
{
    th_want w[] = {{"account", th_at(in, from), strlen(in), feature}, {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
}

static void test_c_user(void **state)
{
    (void)state;
    const char *hdr = "Cookie: datr=abc; c_user=100012345678901; xs=12%3Aabc";
    th_want w[] = {
        {"account", th_at(hdr, "c_user"), th_at(hdr, "; xs"), "facebook:100012345678901"},
        {NULL, 0, 0, NULL}};
    th_check(T, hdr, NULL, w);
    /* an SQLite cookie row: name, value and host columns side by side */
    const char *row = "\x05\x17\x0f\x1b"
                      "c_user100012345678901.facebook.com/\x08";
    th_want w2[] = {{"account", 4, 25, "facebook:100012345678901"}, {NULL, 0, 0, NULL}};
    th_check(T, row, NULL, w2);
    /* JSON export and URL-encoded forms */
    const char *json =
        "{\"name\":\"c_user\",\"value\":\"100012345678901\",\"domain\":\".facebook.com\"}";
    th_want w3[] = {
        {"account", th_at(json, "c_user"), th_at(json, "\",\"domain"), "facebook:100012345678901"},
        {NULL, 0, 0, NULL}};
    th_check(T, json, NULL, w3);
    th_one(T, "c_user%3D100012345678901", "facebook:100012345678901");
}

static void test_facebook_urls(void **state)
{
    (void)state;
    one_from("https://www.facebook.com/profile.php?id=100012345678901", "facebook",
             "facebook:100012345678901");
    one_from("https://facebook.com/John.Smith.123", "facebook", "facebook:john.smith.123");
    const char *q = "facebook.com/profile.php?id=100012345678901&sk=about";
    th_want wq[] = {{"account", 0, th_at(q, "&sk"), "facebook:100012345678901"},
                    {NULL, 0, 0, NULL}};
    th_check(T, q, NULL, wq);
    one_from("m.facebook.com/100012345678901", "facebook", "facebook:100012345678901");
    const char *in = "https://m.facebook.com/people/John-Smith/100012345678901/";
    th_want w[] = {{"account", th_at(in, "facebook"), strlen(in) - 1, "facebook:100012345678901"},
                   {NULL, 0, 0, NULL}};
    th_check(T, in, NULL, w);
    const char *txt = "see facebook.com/Troll.Farm.Al. Or facebook.com/Troll.Farm.Al/posts/1";
    th_want w2[] = {
        {"account", 4, th_at(txt, ". Or"), "facebook:troll.farm.al"},
        {"account", th_at(txt, "Or ") + 3, th_at(txt, "/posts"), "facebook:troll.farm.al"},
        {NULL, 0, 0, NULL}};
    th_check(T, txt, NULL, w2);
}

static void test_other_services(void **state)
{
    (void)state;
    one_from("https://twitter.com/Jack", "twitter", "x:jack");
    const char *xin = "https://x.com/ElonMusk?lang=en";
    th_want w[] = {{"account", th_at(xin, "x.com"), th_at(xin, "?"), "x:elonmusk"},
                   {NULL, 0, 0, NULL}};
    th_check(T, xin, NULL, w);
    one_from("instagram.com/Some.User_1", "instagram", "instagram:some.user_1");
    one_from("https://www.tiktok.com/@Troll.Farm", "tiktok", "tiktok:troll.farm");
    one_from("https://t.me/Durov", "t.me", "telegram:durov");
    one_from("telegram.me/some_channel", "telegram", "telegram:some_channel");
    one_from("https://mobile.twitter.com/Jack", "twitter", "x:jack");
    one_from("https://fr-fr.facebook.com/John.Smith.123", "facebook", "facebook:john.smith.123");
    one_from("https://de.facebook.com/John.Smith.123", "facebook", "facebook:john.smith.123");
}

static void test_rejects(void **state)
{
    (void)state;
    const char *bad[] = {
        "facebook.com/sharer.php?u=x",
        "facebook.com/sharer/sharer.php?u=x",
        "facebook.com/share",
        "https://www.facebook.com/groups/123456789/",
        "facebook.com/pages/Foo/123",
        "facebook.com/events/123456",
        "facebook.com/photo.php?fbid=1",
        "facebook.com/watch?v=1",
        "facebook.com/login.php",
        "facebook.com/login",
        "facebook.com/help",
        "facebook.com/favicon.ico",
        "facebook.com/john_smith",
        "facebook.com/abc",
        "facebook.com/plugins/like.php",
        "facebook.com/tr?id=1",
        "instagram.com/p/ABCdef/",
        "instagram.com/reel/xyz",
        "instagram.com/explore/tags/x",
        "instagram.com/accounts/login",
        "twitter.com/intent/tweet?text=x",
        "twitter.com/home",
        "twitter.com/search?q=x",
        "twitter.com/hashtag/x",
        "twitter.com/i/web/status/1",
        "x.com/login",
        "twitter.com/share?url=x",
        "twitter.com/this_handle_is_too_long",
        "twitter.com/jack.smith",
        "t.me/+AbCdEf123",
        "t.me/joinchat/AbCdEf",
        "t.me/abc",
        "t.me/s/durov",
        "t.me/1durov",
        "tiktok.com/@",
        "fox.com/news",
        "netflix.com/title",
        "notfacebook.com/john.smith",
        "src_user=100012345678901",
        "c_user=1234",
        "c_user=12345678901234567890123",
        "xc_user=100012345678901",
        /* media, short-link and API hosts */
        "pic.twitter.com/ycy9cHPLZ7",
        "https://pic.twitter.com/ycy9cHPLZ7",
        "https://t.co/LIXIaM2PaG",
        "pbs.twimg.com/profile_banners/351102360/1414367469",
        "https://graph.facebook.com/100012345678901",
        "developers.facebook.com/docs",
        "help.instagram.com/581066165581870",
        "api.twitter.com/oauth2",
        "video.twimg.com/ext_tw_video/1",
        "scontent.cdninstagram.com/v/t51",
        "fb.me/abcdef",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        th_none(T, bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_user),
        cmocka_unit_test(test_facebook_urls),
        cmocka_unit_test(test_other_services),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
