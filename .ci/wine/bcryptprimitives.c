/* Test-only stand-in for Windows' bcryptprimitives.dll under wine 8.0.
 *
 * Rust's standard library on Windows imports ProcessPrng from
 * bcryptprimitives.dll (present on every Windows 10 and 11). Debian 12's
 * wine 8.0 does not provide that DLL, so gongshi.exe cannot start there.
 * scripts/dist.sh builds this file with mingw-w64 into the smoke-test folder
 * only: it never goes into a zip in dist/.
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036), which wine does provide. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
