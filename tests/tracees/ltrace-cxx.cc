// A C++ program calling libstdc++ for procscope ltrace -C: constructs a std::string from a
// C string (basic_string(char const*, allocator const&) when not inlined) and writes an int.
#include <iostream>
#include <string>

__attribute__((noinline)) static std::string make(const char *s) { return std::string(s); }

int main()
{
    std::string s = make("a string longer than fifteen chars");
    std::cout << 42 << '\n';
    return s.size() == 34 ? 0 : 1;
}
