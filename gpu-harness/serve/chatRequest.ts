/** A chat message as OpenAI's chat-completions API takes it (text content only). */
export type ChatMessage = { role: string; content: string };

/** A validated `POST /v1/chat/completions` body: the fields this server honours. */
export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  /** Tokens to return: at most the model's generation limit. */
  maxTokens: number;
  seed: number;
  stream: boolean;
  /** Choices to return (`n`): identical, since decoding is greedy. */
  choices: number;
};

/** OpenAI's limit on `n`. */
export const choicesMax = 128;

export type ChatLimits = {
  messagesMax: number;
  contentCharsMax: number;
  maxTokensMax: number;
};

/** An OpenAI-style error: HTTP status, and `{error: {message, type, param}}` as the body. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null,
    /** OpenAI's machine-readable reason, e.g. `unsupported_value` (null when it has none). */
    readonly code: string | null = null,
  ) {
    super(message);
  }
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

const invalid = (param: string, message: string) =>
  new ApiError(400, `${param}: ${message}`, 'invalid_request_error', param);

function parseMessages(value: unknown, limits: ChatLimits): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid('messages', 'expected a non-empty array');
  if (value.length > limits.messagesMax)
    throw invalid('messages', `at most ${limits.messagesMax} messages, got ${value.length}`);
  return value.map((m, i) => {
    const role = (m as { role?: unknown } | null)?.role;
    const content = (m as { content?: unknown } | null)?.content;
    if (typeof role !== 'string' || !['system', 'user', 'assistant', 'developer'].includes(role))
      throw invalid(
        `messages[${i}].role`,
        `expected system|user|assistant|developer, got ${JSON.stringify(role)}`,
      );
    if (typeof content !== 'string') throw invalid(`messages[${i}].content`, 'expected a string');
    if (content.length > limits.contentCharsMax)
      throw invalid(
        `messages[${i}].content`,
        `at most ${limits.contentCharsMax} characters, got ${content.length}`,
      );
    return { role, content };
  });
}

function intField(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw invalid(key, `expected an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

function numberField(body: Record<string, unknown>, key: string, min: number, max: number) {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw invalid(key, `expected a number in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The zoo models decode greedily (argmax at every step), which is sampling at temperature 0.
 * So `temperature` 0 is honoured and any other value is refused the way OpenAI refuses a value
 * a model does not support (400, code `unsupported_value`), never silently ignored. `top_p` is
 * honoured whatever its value: the most likely token is always inside the nucleus. `n` returns
 * n choices, identical as greedy decoding makes them.
 */
function checkSampling(body: Record<string, unknown>): void {
  const temperature = numberField(body, 'temperature', 0, 2);
  if (temperature !== null && temperature !== 0)
    throw new ApiError(
      400,
      `Unsupported value: 'temperature' does not support ${temperature} with this model. Only 0 (greedy decoding) is supported.`,
      'invalid_request_error',
      'temperature',
      'unsupported_value',
    );
  numberField(body, 'top_p', 0, 1);
}

/** Validates a chat-completions body; throws ApiError(400) naming the first bad field. */
export function parseChatRequest(raw: unknown, limits: ChatLimits): ChatRequest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('(body)', 'expected a JSON object');
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model === '')
    throw invalid('model', 'expected a model name');
  const messages = parseMessages(body.messages, limits);
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    throw invalid('stream', `expected a boolean, got ${JSON.stringify(body.stream)}`);
  checkSampling(body);
  const tokensKey =
    body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  return {
    model: body.model,
    messages,
    maxTokens: intField(body, tokensKey, 1, limits.maxTokensMax, limits.maxTokensMax),
    seed: intField(body, 'seed', 0, 2 ** 32 - 1, 0),
    stream: body.stream === true,
    choices: intField(body, 'n', 1, choicesMax, 1),
  };
}
