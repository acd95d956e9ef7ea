// The one place cxxopts is included: vector options must not be split on commas,
// or "-X bootstrap.servers=a:1,b:2" would break apart.
#pragma once

#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>
