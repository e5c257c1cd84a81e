/**
 * Validates the JSON body of POST /auth/login before any hashing happens.
 * Answers name the field and what is expected.
 */
import { ApiError } from '../common/api-error';

export interface LoginBody {
  username: string;
  password: string;
}

const MAX_USERNAME_LENGTH = 64;

export function parseLoginBody(body: unknown, maxPasswordBytes: number): LoginBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad(
      'the body must be a JSON object {"username": string, "password": string} sent with content-type application/json',
    );
  }
  const { username, password } = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof username !== 'string' || username.length === 0)
    problems.push('"username" must be a non-empty string');
  else if (username.length > MAX_USERNAME_LENGTH)
    problems.push(`"username" must be at most ${MAX_USERNAME_LENGTH} characters`);
  if (typeof password !== 'string' || password.length === 0)
    problems.push('"password" must be a non-empty string');
  else if (Buffer.byteLength(password, 'utf8') > maxPasswordBytes)
    problems.push(`"password" must be at most ${maxPasswordBytes} bytes`);
  if (problems.length > 0) throw bad(problems.join('; '));
  return { username: username as string, password: password as string };
}

function bad(message: string): ApiError {
  return new ApiError(400, 'bad_request', message);
}
