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
};

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
  ) {
    super(message);
  }
  body(): { error: { message: string; type: string; param: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param } };
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

/**
 * Validates a chat-completions body; throws ApiError(400) naming the first bad field. Sampling
 * knobs (temperature, top_p, …) are accepted and ignored: the zoo models decode greedily.
 */
export function parseChatRequest(raw: unknown, limits: ChatLimits): ChatRequest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('(body)', 'expected a JSON object');
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model === '')
    throw invalid('model', 'expected a model name');
  const messages = parseMessages(body.messages, limits);
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    throw invalid('stream', `expected a boolean, got ${JSON.stringify(body.stream)}`);
  const tokensKey =
    body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  return {
    model: body.model,
    messages,
    maxTokens: intField(body, tokensKey, 1, limits.maxTokensMax, limits.maxTokensMax),
    seed: intField(body, 'seed', 0, 2 ** 32 - 1, 0),
    stream: body.stream === true,
  };
}
