/* phone_lib.cc: see phone_lib.h.  A thin shim over libphonenumber's
 * PhoneNumberUtil (a thread-safe singleton whose default logger is silent).
 * Exceptions never cross into C: the library does not throw on bad input,
 * and an allocation failure is answered as "not a number". */
#include "scan/phone_lib.h"

#include <cstring>
#include <new>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" int scan_phone_check(const char *e164)
{
    size_t n = e164 ? std::strlen(e164) : 0;
    if (n < 3 || n > 17 || e164[0] != '+')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (e164[i] < '0' || e164[i] > '9')
            return 0;
    try {
        const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
        PhoneNumber num;
        if (util->Parse(e164, "ZZ", &num) != PhoneNumberUtil::NO_PARSING_ERROR)
            return 0;
        if (util->IsValidNumber(num))
            return SCAN_PHONE_VALID;
        return util->IsPossibleNumber(num) ? SCAN_PHONE_POSSIBLE : 0;
    } catch (...) {
        return 0;
    }
}
