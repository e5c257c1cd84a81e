/**
 * The whole refresh rotation as one Lua script, so Redis runs it atomically:
 * there is no state in which the presented token is spent but its successor
 * was never stored (the retry a 503 invited used to find exactly that and
 * revoke the login as theft). refresh.store.ts documents the records.
 *
 * The script also refuses to act once its deadline has passed (by Redis'
 * clock): a rotation that reaches a hung Redis after the API already answered
 * 503 changes nothing when Redis resumes, so the client's retry finds its
 * token unspent instead of looking like a stolen token.
 *
 * KEYS[1] = rt:<hash of the presented token>
 * ARGV    = deadline (ms since the epoch), successor hash
 * Returns {'late'} | {'unknown'} | {'ended'} | {'reused'} | {'rotated', uid, ttlMs}
 *
 * Keys other than KEYS[1] are derived inside the script: fine on a single
 * Redis (what every setup runs), not on Redis Cluster.
 */
export const ROTATE_SCRIPT = `
local time = redis.call('TIME')
if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[1]) then
  return {'late'}
end
local record = redis.call('GET', KEYS[1])
if not record then return {'unknown'} end
local owner, family = string.match(record, '^([^:]+):(.+)$')
if owner == 'spent' then
  redis.call('DEL', 'rtfam:' .. family)
  return {'reused'}
end
local ttl = redis.call('PTTL', 'rtfam:' .. family)
if ttl <= 0 then return {'ended'} end
redis.call('SET', KEYS[1], 'spent:' .. family, 'KEEPTTL')
redis.call('SET', 'rt:' .. ARGV[2], owner .. ':' .. family, 'PX', ttl)
return {'rotated', owner, ttl}
`;
