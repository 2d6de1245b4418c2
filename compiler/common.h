/* First include of every peerc source file: config.h, then what all modules use. */
#ifndef PEERC_COMMON_H
#define PEERC_COMMON_H

#include <config.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An impossible state: a bug in peerc, never bad input. */
#define BUG() abort()

#endif
