-- HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256) in plain LuaJIT, so wrk can sign each
-- carrier event it builds. hmac.hex(key, message) is the lower-case hex digest.
local bit = require "bit"
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local rshift, lshift, ror, tobit, tohex = bit.rshift, bit.lshift, bit.ror, bit.tobit, bit.tohex

local K = {
   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
local H0 = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }

local function pad(message)
   local size = #message
   local bits = size * 8
   local high, low = math.floor(bits / 2 ^ 32), bits % 2 ^ 32
   local length = string.char(
      band(rshift(high, 24), 255), band(rshift(high, 16), 255),
      band(rshift(high, 8), 255), band(high, 255),
      band(rshift(low, 24), 255), band(rshift(low, 16), 255),
      band(rshift(low, 8), 255), band(low, 255))
   return message .. "\128" .. string.rep("\0", (64 - (size + 9) % 64) % 64) .. length
end

local w = {}

local function block(data, at, h)
   for j = 0, 15 do
      local a, b, c, d = data:byte(at + j * 4, at + j * 4 + 3)
      w[j] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
   end
   for j = 16, 63 do
      local x, y = w[j - 15], w[j - 2]
      local s0 = bxor(ror(x, 7), ror(x, 18), rshift(x, 3))
      local s1 = bxor(ror(y, 17), ror(y, 19), rshift(y, 10))
      w[j] = tobit(w[j - 16] + s0 + w[j - 7] + s1)
   end
   local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
   for j = 0, 63 do
      local s1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
      local ch = bxor(band(e, f), band(bnot(e), g))
      local t1 = tobit(hh + s1 + ch + K[j + 1] + w[j])
      local s0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      local t2 = tobit(s0 + maj)
      hh, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + t2)
   end
   h[1], h[2], h[3], h[4] = tobit(h[1] + a), tobit(h[2] + b), tobit(h[3] + c), tobit(h[4] + d)
   h[5], h[6], h[7], h[8] = tobit(h[5] + e), tobit(h[6] + f), tobit(h[7] + g), tobit(h[8] + hh)
end

local function sha256(message)
   local data, h = pad(message), { unpack(H0) }
   for at = 1, #data, 64 do
      block(data, at, h)
   end
   local out = {}
   for i = 1, 8 do
      out[i] = string.char(band(rshift(h[i], 24), 255), band(rshift(h[i], 16), 255),
                           band(rshift(h[i], 8), 255), band(h[i], 255))
   end
   return table.concat(out)
end

local function xor_with(key, byte)
   return (key:gsub(".", function(c) return string.char(bxor(c:byte(), byte)) end))
end

local hmac = {}

function hmac.hex(key, message)
   if #key > 64 then key = sha256(key) end
   key = key .. string.rep("\0", 64 - #key)
   local digest = sha256(xor_with(key, 0x5c) .. sha256(xor_with(key, 0x36) .. message))
   return (digest:gsub(".", function(c) return tohex(c:byte(), 2) end))
end

return hmac
