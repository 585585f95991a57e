/*
 * check.h: assertions that stay on in production.
 *
 * A failed ASSERT is a programmer error: it logs file:line and the expression to stderr
 * and aborts. Bad input from outside is never asserted; it is returned as an error.
 */
#ifndef CFH_CHECK_H
#define CFH_CHECK_H

#include <stddef.h>

_Noreturn void check_fail(const char *file, int line, const char *expr);

#define ASSERT(e)    ((e) ? (void)0 : check_fail(__FILE__, __LINE__, #e))
#define BUG(msg)     check_fail(__FILE__, __LINE__, msg)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
